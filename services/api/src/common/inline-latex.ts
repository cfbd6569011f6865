// The one reading of inline LaTeX in titles and abstracts (libs/notifications: the mails read titles the same way).
export { abstractHtml, abstractText, titleHtml, titleText } from '@paperwire/notifications';
