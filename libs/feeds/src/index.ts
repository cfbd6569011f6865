export { FeedError, type FeedErrorCode } from './lib/feed-error';
export { detectFormat } from './lib/format-detect';
export { parseDocument, DEFAULT_MAX_BYTES, type ParseInput } from './lib/parse-document';
export { parseArxivId, arxivAbsUrl, arxivPdfUrl, type ArxivId } from './lib/arxiv-id';
export { paperKey, contentHash, titleKey } from './lib/paper-identity';
export { normalizeText, type NormalizeOptions } from './lib/text-normalize';
export { extractLinks, type ExtractedLinks } from './lib/links-extract';
export { LIMITS } from './lib/paper-builder';
export {
  DocumentStream,
  countJsonArrayElements,
  JsonArraySplitter,
  LineSplitter,
  OaiRecordSplitter,
  planStream,
  type StreamPlan,
  type StreamedBatch,
} from './lib/document-stream';
export { readAtomPageFrame, readOaiPageFrame, type AtomPageFrame, type OaiPageFrame } from './lib/page-frame';
