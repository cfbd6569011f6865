// Word lists the extractor reads. Kept apart from the logic so that a change of vocabulary is a data
// change (bump EXTRACTOR_VERSION all the same: it changes what is extracted).

export const WORD_NUMBERS: Readonly<Record<string, number>> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70,
  eighty: 80, ninety: 90, hundred: 100, dozen: 12,
};

export const SCALE_WORDS: Readonly<Record<string, number>> = {
  thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12,
};

export const SCALE_LETTERS: Readonly<Record<string, number>> = { k: 1e3, K: 1e3, M: 1e6, B: 1e9, T: 1e12 };

/** byte units -> multiplier */
export const BYTE_UNITS: Readonly<Record<string, number>> = {
  bytes: 1, byte: 1, KB: 1e3, kB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, PB: 1e15,
  KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4,
};

// Units written after a number that are neither percentages, multipliers nor bytes: kept as unit
// `other` with the text as written. Case-sensitive (K is kelvin only when spaced: "32K" is a scale).
export const OTHER_UNITS: readonly string[] = [
  // time
  'ms', 'μs', 'µs', 'ns', 's', 'sec', 'secs', 'second', 'seconds', 'min', 'mins', 'minute', 'minutes',
  'h', 'hr', 'hrs', 'hour', 'hours', 'GPU hours', 'GPU-hours', 'GPU days', 'day', 'days', 'week', 'weeks',
  'month', 'months', 'year', 'years', 'yr', 'yrs', 'Ma', 'Myr', 'Gyr', 'ka', 'kyr',
  // length, area, volume
  'km', 'm', 'cm', 'mm', 'μm', 'µm', 'um', 'nm', 'pm', 'Å', 'mi', 'ft', 'in', 'mbsf', 'AU', 'pc', 'kpc', 'Mpc',
  'km2', 'm2', 'cm2', 'mm2', 'm3', 'cm3', 'ha', 'L', 'mL', 'ml', 'μL', 'µL', 'kilometres', 'kilometers',
  'metres', 'meters', 'metre', 'meter', 'centimeters', 'millimeters', 'nanometers', 'miles', 'feet', 'inches',
  // mass, amount, concentration
  'kg', 'g', 'mg', 'μg', 'µg', 'ng', 'tonnes', 'tons', 'Mt', 'Gt', 'mol', 'mmol', 'μmol', 'µmol', 'mM', 'μM',
  'µM', 'nM', 'ppm', 'ppb', 'ppmv', '‰', 'wt%', 'vol%', 'kilograms', 'grams', 'pounds', 'lb',
  // energy, power, electricity, pressure, temperature, frequency, angle, dose
  'eV', 'keV', 'MeV', 'GeV', 'TeV', 'J', 'kJ', 'MJ', 'GJ', 'kWh', 'MWh', 'W', 'kW', 'MW', 'GW', 'mW', 'μW',
  'V', 'kV', 'mV', 'A', 'mA', 'μA', 'Ω', 'Pa', 'kPa', 'MPa', 'GPa', 'hPa', 'bar', 'mbar', 'atm', 'Torr',
  '°C', '°F', '° C', 'K', 'mK', 'μK', 'µK', 'Hz', 'kHz', 'MHz', 'GHz', 'THz', '°', 'rad', 'mrad', 'dB', 'dBm', 'Gy', 'mGy',
  'Sv', 'mSv', 'N', 'kN', 'T', 'mT', 'nT', 'S', 'mS',
  // compute
  'FLOPs', 'GFLOPs', 'TFLOPs', 'PFLOPs', 'FLOPS', 'TFLOPS', 'GFLOPS', 'FPS', 'fps', 'tokens/s', 'tok/s',
  'samples/s', 'it/s', 'QPS', 'qps',
];

/** Units whose number is a time: used to tell latency/training-time claims from setup. */
export const TIME_UNITS = new Set([
  'ms', 'μs', 'µs', 'ns', 's', 'sec', 'secs', 'second', 'seconds', 'min', 'mins', 'minute', 'minutes', 'h',
  'hr', 'hrs', 'hour', 'hours', 'GPU hours', 'GPU-hours', 'GPU days', 'day', 'days', 'week', 'weeks',
]);

// Nouns a count can size. Scope nouns measure the breadth of an evaluation ("26 tasks"); the others
// the size of data or of a model ("1,000 questions", "12 layers").
export const SCOPE_NOUNS = new Set([
  'task', 'tasks', 'dataset', 'datasets', 'benchmark', 'benchmarks', 'language', 'languages', 'domain',
  'domains', 'model', 'models', 'llm', 'llms', 'mllm', 'mllms', 'vlm', 'vlms', 'environment', 'environments',
  'setting', 'settings', 'game', 'games', 'scenario', 'scenarios', 'category', 'categories', 'baseline',
  'baselines', 'metric', 'metrics', 'modality', 'modalities', 'subject', 'subjects', 'discipline',
  'disciplines', 'country', 'countries', 'suite', 'suites', 'application', 'applications', 'architecture',
  'architectures', 'family', 'families', 'agent', 'agents', 'robot', 'robots', 'platform', 'platforms',
  'corpus', 'corpora', 'testbed', 'testbeds', 'method', 'methods', 'algorithm', 'algorithms', 'approach',
  'approaches', 'dimension', 'dimensions', 'type', 'types', 'class', 'classes', 'level', 'levels',
  'field', 'fields', 'area', 'areas', 'skill', 'skills', 'capability', 'capabilities', 'axis', 'axes',
  'sub-task', 'sub-tasks', 'subtask', 'subtasks', 'track', 'tracks', 'challenge', 'challenges',
]);

export const SIZE_NOUNS = new Set([
  'sample', 'samples', 'example', 'examples', 'instance', 'instances', 'image', 'images', 'video', 'videos',
  'question', 'questions', 'problem', 'problems', 'query', 'queries', 'prompt', 'prompts', 'document',
  'documents', 'paper', 'papers', 'article', 'articles', 'sentence', 'sentences', 'pair', 'pairs', 'user',
  'users', 'participant', 'participants', 'patient', 'patients', 'subject', 'annotator', 'annotators',
  'trajectory', 'trajectories', 'episode', 'episodes', 'annotation', 'annotations', 'label', 'labels',
  'layer', 'layers', 'head', 'heads', 'node', 'nodes', 'edge', 'edges', 'gpu', 'gpus', 'clip', 'clips',
  'frame', 'frames', 'conversation', 'conversations', 'dialogue', 'dialogues', 'item', 'items', 'entry',
  'entries', 'record', 'records', 'file', 'files', 'repository', 'repositories', 'function', 'functions',
  'program', 'programs', 'case', 'cases', 'test', 'tests', 'puzzle', 'puzzles', 'scene', 'scenes', 'object',
  'objects', 'point', 'points', 'word', 'words', 'speaker', 'speakers', 'hour', 'hours', 'demonstration',
  'demonstrations', 'rollout', 'rollouts', 'step', 'steps', 'iteration', 'iterations', 'epoch', 'epochs',
  'expert', 'experts', 'feature', 'features', 'variable', 'variables', 'graph', 'graphs', 'molecule',
  'molecules', 'protein', 'proteins', 'cell', 'cells', 'gene', 'genes', 'species', 'site', 'sites', 'event',
  'events', 'post', 'posts', 'tweet', 'tweets', 'review', 'reviews', 'response', 'responses', 'answer',
  'answers', 'claim', 'claims', 'fact', 'facts', 'entity', 'entities', 'relation', 'relations', 'triple',
  'triples', 'chart', 'charts', 'table', 'tables', 'page', 'pages', 'photo', 'photos', 'recording',
  'recordings', 'utterance', 'utterances', 'volunteer', 'volunteers', 'worker', 'workers', 'individual',
  'individuals', 'person', 'people', 'student', 'students', 'mouse', 'mice', 'rat', 'rats', 'tree', 'trees',
  'plot', 'plots', 'specimen', 'specimens', 'well', 'wells', 'station', 'stations', 'run', 'runs', 'seed',
  'seeds', 'trial', 'trials', 'round', 'rounds', 'turn', 'turns', 'template', 'templates', 'image-text',
  'tool', 'tools', 'api', 'apis', 'video-text', 'shot', 'shots', 'view', 'views', 'token', 'tokens',
  'parameter', 'parameters', 'neuron', 'neurons', 'channel', 'channels', 'block', 'blocks', 'module',
  'modules', 'component', 'components', 'stage', 'stages', 'phase', 'phases', 'group', 'groups', 'cluster',
  'clusters', 'region', 'regions', 'city', 'cities', 'hospital', 'hospitals', 'center', 'centers', 'centre',
  'centres', 'source', 'sources', 'website', 'websites', 'video-clip', 'move', 'moves', 'attack', 'attacks',
  'vulnerability', 'vulnerabilities', 'bug', 'bugs', 'commit', 'commits', 'patch', 'patches', 'issue',
  'issues', 'rule', 'rules', 'concept', 'concepts', 'topic', 'topics', 'persona', 'personas', 'character',
  'characters', 'story', 'stories', 'book', 'books', 'song', 'songs', 'voice', 'voices', 'letter', 'letters',
]);

// Adjectives that may stand between a count and its noun ("six diverse datasets").
export const COUNT_ADJECTIVES = new Set([
  'diverse', 'different', 'popular', 'widely-used', 'widely', 'used', 'public', 'publicly', 'available',
  'real-world', 'standard', 'challenging', 'distinct', 'unique', 'new', 'additional', 'open-source',
  'large', 'representative', 'downstream', 'held-out', 'annotated', 'human', 'expert', 'high-quality',
  'synthetic', 'real', 'benchmark', 'evaluation', 'test', 'training', 'multilingual', 'medical', 'legal',
  'reasoning', 'math', 'mathematical', 'coding', 'code', 'vision', 'language', 'visual', 'open', 'closed',
  'state-of-the-art', 'leading', 'frontier', 'proprietary', 'competitive', 'strong', 'existing', 'major',
  'key', 'core', 'complex', 'manually', 'curated', 'hand-crafted', 'unseen', 'commonly', 'well-known',
  'established', 'prominent', 'mainstream', 'other', 'more', 'total', 'video', 'image', 'text', 'qa',
  'question-answering', 'classification', 'generation', 'retrieval', 'translation', 'agentic', 'long',
  'short', 'small', 'independent', 'separate', 'complementary', 'simulated', 'physical', 'clinical',
  'scientific', 'academic', 'domain-specific', 'task-specific', 'general', 'specialized', 'recent',
]);

export const NAME_PREFIXES = new Set([
  'section', 'sec', 'sec.', 'table', 'tab.', 'figure', 'fig', 'fig.', 'eq', 'eq.', 'equation', 'chapter',
  'appendix', 'part', 'version', 'ver.', 'level', 'task', 'stage', 'phase', 'track', 'algorithm', 'theorem',
  'lemma', 'corollary', 'step', 'round', 'season', 'vol.', 'volume', 'no.', 'grade', 'type', 'class',
  'category', 'iso', 'rfc', 'windows', 'python', 'ios', 'android', 'gemini', 'gpt', 'llama', 'claude', 'qwen',
  'mistral', 'phi', 'gemma', 'deepseek', 'yolo', 'diffusion', 'sonnet', 'opus', 'haiku', 'grok', 'kimi',
  'glm', 'internvl', 'minicpm', 'resnet', 'vgg', 'wave', 'covid', 'sars-cov', 'ssm', 'track', 'hop',
  'mamba', 'bert', 't5', 'flan', 'imagenet', 'cifar', 'mnist', 'voyager', 'apollo', 'galaxy', 'iphone',
  'pixel', 'layer', 'block', 'chapter', 'article', 'claim', 'question', 'q', 'problem', 'exercise', 'item',
  'dimension', 'order', 'rank', 'top', 'pass@', 'recall@', 'ndcg@', 'hits@', 'semeval', 'task-', 'subtask',
]);

export const MONTHS = new Set([
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october',
  'november', 'december', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
]);
