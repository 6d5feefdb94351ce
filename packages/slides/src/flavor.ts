/**
 * `@matryoshka/slides/flavor`: whether a Markdown file is a Marp or Slidev deck, without the deck
 * machinery (zip, XML, the engine), for editors that ask it of every file they show.
 */
export { detectFlavor, type MarkdownFlavor } from './markdown/flavor.js';
