// Hovers and "Explain Line" over transcript and script documents: find the line's direction and
// protocol, read it in context (the command a reply answers), and explain the word under the cursor.
import type { KnowledgeProtocol } from '../knowledge/index.js';
import { protocolFromFileName } from '../script/parser.js';
import { elementAt, escapeMarkdown, fenced, lineElements, type LineElement } from './explain.js';
import {
  guessProtocol,
  previousClientVerb,
  scriptProtocolAt,
  splitLine,
  type LineDirection,
} from './line.js';

export interface LanguageDocument {
  readonly kind: 'transcript' | 'script';
  readonly lines: readonly string[];
  /** Script file name (its extension gives the protocol of `.imap`/`.pop3`/`.smtp` files). */
  readonly fileName?: string;
  /** The protocol when the caller knows it (a live session's transcript). */
  readonly protocol?: KnowledgeProtocol;
}

export interface Hover {
  /** 0-based columns in the document line (end exclusive). */
  readonly startColumn: number;
  readonly endColumn: number;
  readonly markdown: string;
  readonly element: LineElement;
}

interface LineInContext {
  readonly protocol: KnowledgeProtocol;
  readonly dir: LineDirection;
  readonly body: string;
  readonly bodyStart: number;
  readonly previousVerb: string | undefined;
}

function protocolOf(doc: LanguageDocument, lineIndex: number): KnowledgeProtocol | undefined {
  if (doc.protocol) return doc.protocol;
  if (doc.kind === 'script') {
    const fileDefault = doc.fileName ? protocolFromFileName(doc.fileName) : undefined;
    return scriptProtocolAt(doc.lines, lineIndex, fileDefault) ?? guessProtocol(doc.lines);
  }
  return guessProtocol(doc.lines);
}

function readLine(doc: LanguageDocument, lineIndex: number): LineInContext | undefined {
  const text = doc.lines[lineIndex];
  if (text === undefined) return undefined;
  const split = splitLine(text);
  if (!split || split.dir === 'L') return undefined;
  const protocol = protocolOf(doc, lineIndex);
  if (!protocol) return undefined;
  const previousVerb = split.dir === 'S' ? previousClientVerb(protocol, doc.lines, lineIndex) : undefined;
  return { protocol, dir: split.dir, body: split.body, bodyStart: split.bodyStart, previousVerb };
}

/** The hover for a 0-based line and column, or undefined when nothing there is explained. */
export function hoverAt(doc: LanguageDocument, lineIndex: number, column: number): Hover | undefined {
  const line = readLine(doc, lineIndex);
  if (!line) return undefined;
  const offset = column - line.bodyStart;
  if (offset < 0) return undefined;
  const element = elementAt(line.protocol, line.dir, line.body, offset, { previousVerb: line.previousVerb });
  if (!element) return undefined;
  return {
    startColumn: line.bodyStart + element.start,
    endColumn: line.bodyStart + element.end,
    markdown: element.markdown,
    element,
  };
}

export interface LineExplanation {
  readonly protocol: KnowledgeProtocol;
  readonly direction: 'client' | 'server';
  readonly elements: readonly LineElement[];
  /** Markdown: what the line is, then each element. */
  readonly markdown: string;
}

/** "Mailwire: Explain Line": every element of the line, or undefined for lines that are not C:/S:. */
export function explainLine(doc: LanguageDocument, lineIndex: number): LineExplanation | undefined {
  const line = readLine(doc, lineIndex);
  if (!line) return undefined;
  const elements = lineElements(line.protocol, line.dir, line.body, { previousVerb: line.previousVerb });
  const who = line.dir === 'C' ? 'client' : 'server';
  const name = line.protocol.toUpperCase();
  const heading =
    `### ${name} ${who} line\n\n${fenced(line.body)}\n\n` +
    (line.dir === 'S' && line.previousVerb ? `In reply to ${escapeMarkdown(line.previousVerb)}.\n\n` : '');
  const body = elements.length
    ? elements.map((e) => e.markdown).join('\n\n---\n\n')
    : `Nothing on this line is in the ${name} knowledge base (free text, data or a message body).`;
  return { protocol: line.protocol, direction: who, elements, markdown: heading + body };
}
