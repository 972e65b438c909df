/** A fenced code block of a Markdown page. */
export interface FencedBlock {
  /** The info string's first word, lower-cased ('' when none): sh, console, yaml, ts, text, ... */
  lang: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The lines between the fences. */
  lines: string[];
}

/** A command shown in a block, as the doc check runs it. */
export interface DocCommand {
  /** The command as written (continuation lines joined). */
  text: string;
  /** 1-based line in the page. */
  line: number;
  /** The exit status the page documents: `# exit status N` in a trailing comment, else 0. */
  expectedStatus: number;
  /** Extra environment (a Kubernetes Job's index for commands taken from YAML). */
  env?: Record<string, string>;
  /** The output a `console` block shows under the command. */
  shownOutput?: string[];
  /** Directories the command's environment provides (a Job's volume), made in the workspace first. */
  dirs?: string[];
}

/** Blocks whose lines are shell commands. `console` blocks mark commands with `$ ` and show output below them. */
export const SHELL_LANGS = new Set(['sh', 'shell', 'bash', 'console']);

/**
 * The fenced blocks of a CommonMark page (``` or ~~~, closed by a fence of the same character at
 * least as long). A hand-written scan: fences are the only Markdown the check needs.
 */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  const lines = markdown.split('\n');
  let open: { fence: string; block: FencedBlock } | undefined;
  lines.forEach((text, i) => {
    if (open) {
      const close = /^\s{0,3}(`{3,}|~{3,})\s*$/.exec(text);
      if (close && close[1]![0] === open.fence[0] && close[1]!.length >= open.fence.length) open = undefined;
      else open.block.lines.push(text);
      return;
    }
    const start = /^\s{0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(text);
    if (!start) return;
    const block: FencedBlock = { lang: start[2]!.toLowerCase(), line: i + 1, lines: [] };
    blocks.push(block);
    open = { fence: start[1]!, block };
  });
  return blocks;
}

/** The commands of a shell block: `console` lines after `$ `, every other block's non-comment lines; a trailing `\` continues a line. */
export function shellCommands(block: FencedBlock): DocCommand[] {
  const commands: DocCommand[] = [];
  const prompted = block.lang === 'console';
  let pending: { text: string; line: number } | undefined;
  block.lines.forEach((raw, i) => {
    const line = block.line + 1 + i;
    if (pending) {
      pending.text += ' ' + raw.trim();
    } else {
      if (prompted && !raw.startsWith('$ ')) {
        commands.at(-1)?.shownOutput?.push(raw);
        return;
      }
      const text = prompted ? raw.slice(2) : raw;
      if (text.trim() === '' || text.trim().startsWith('#')) return;
      pending = { text: text.trim(), line };
    }
    if (pending.text.endsWith('\\')) {
      pending.text = pending.text.slice(0, -1).trimEnd();
      return;
    }
    commands.push({ ...toCommand(pending.text, pending.line), ...(prompted ? { shownOutput: [] } : {}) });
    pending = undefined;
  });
  if (pending) commands.push(toCommand(pending.text, pending.line));
  return commands;
}

/**
 * The commands inside a YAML block: CI steps (`run: ...`) and any line that calls synth (a
 * Kubernetes Job's `args`). A Job's volume `/out/` becomes `out/` in the workspace and the Job's
 * index is 0, so the pod's command runs as the first pod would run it.
 */
export function yamlCommands(block: FencedBlock): DocCommand[] {
  const commands: DocCommand[] = [];
  block.lines.forEach((raw, i) => {
    const line = block.line + 1 + i;
    const run = /^\s*-?\s*run:\s*(.+)$/.exec(raw);
    if (run) {
      commands.push(toCommand(run[1]!.trim(), line));
      return;
    }
    const call = /(?:^|[\s"'[])((?:npx (?:--yes |-y )?)?synth (?:generate|train|evaluate|inspect|doctor)\b.*)$/.exec(raw);
    if (!call) return;
    const text = call[1]!.replace(/["'\]]+\s*$/, '');
    const volume = text.includes('/out/') ? { dirs: ['out'] } : {};
    commands.push({ ...toCommand(text.replaceAll('/out/', 'out/'), line), env: { JOB_COMPLETION_INDEX: '0' }, ...volume });
  });
  return commands;
}

/**
 * The error lines a page shows (`synth: error: ...`) that the command's stderr lacks; `…` in a
 * shown line stands for any text (a path that differs per machine).
 */
export function staleErrorLines(command: DocCommand, stderr: string): string[] {
  const actual = stderr.split('\n');
  return (command.shownOutput ?? [])
    .filter((line) => line.startsWith('synth: error:'))
    .filter((line) => {
      const pattern = new RegExp(`^${line.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
      return !actual.some((a) => pattern.test(a));
    });
}

/** True when the command calls synth (directly, through npx, or inside GNU parallel or xargs). */
export function callsSynth(text: string): boolean {
  const command = text.replace(/(^|\s)#.*$/, '');
  return /(?:^|[\s;&|'"(])synth\s+(?:generate|train|evaluate|inspect|doctor|help|--help|--version)\b/.test(command);
}

function toCommand(text: string, line: number): DocCommand {
  const status = /\s#[^#]*\bexit status (\d+)\b/.exec(text);
  return { text, line, expectedStatus: status ? Number(status[1]) : 0 };
}

/**
 * Files a page shows in full: a js/ts/mjs block whose first line is a comment naming the file
 * (`// adults.mjs: ...`). The check writes them into the workspace before running the page's commands.
 */
export function shownFiles(blocks: FencedBlock[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const block of blocks) {
    if (!['js', 'mjs', 'ts', 'javascript', 'typescript'].includes(block.lang)) continue;
    const name = /^\/\/\s*([\w.-]+\.(?:mjs|js|cjs))(?::|\s|$)/.exec(block.lines[0] ?? '');
    if (name) files.set(name[1]!, block.lines.join('\n') + '\n');
  }
  return files;
}

/** The API examples: js/ts blocks that import from 'synth' and are not files shown for a command. */
export function apiSnippets(blocks: FencedBlock[]): FencedBlock[] {
  return blocks.filter(
    (b) => ['js', 'mjs', 'ts', 'javascript', 'typescript'].includes(b.lang) && b.lines.some((l) => /from 'synth'/.test(l)) && !/^\/\/\s*[\w.-]+\.(?:mjs|js|cjs)\b/.test(b.lines[0] ?? ''),
  );
}

/** A relative link of a page: `[text](target#anchor)`, outside code blocks. */
export interface DocLink {
  target: string;
  anchor?: string;
  line: number;
}

/** The relative links of a page (http(s) and mailto links are left out). */
export function relativeLinks(markdown: string): DocLink[] {
  const links: DocLink[] = [];
  let inFence = false;
  markdown.split('\n').forEach((text, i) => {
    if (/^\s{0,3}(```|~~~)/.test(text)) inFence = !inFence;
    if (inFence) return;
    for (const [, href] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(href!)) continue;
      const [target, anchor] = href!.split('#', 2) as [string, string | undefined];
      links.push({ target, anchor, line: i + 1 });
    }
  });
  return links;
}

/** GitHub's anchors for a page's headings: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let inFence = false;
  for (const text of markdown.split('\n')) {
    if (/^\s{0,3}(```|~~~)/.test(text)) inFence = !inFence;
    const heading = !inFence && /^#{1,6}\s+(.*)$/.exec(text);
    if (heading) anchors.add(heading[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-'));
  }
  return anchors;
}
