import path from 'node:path';
import type { DeckReport } from '@matryoshka/slides';
import { defineCommand, helpOption } from '../command.js';
import { engineFromFlags, engineOptions, imageModelOption } from '../engine-flags.js';
import { ExitCode } from '../exit-codes.js';
import { fixtureWarning } from '../fixture-warning.js';
import { formatDuration, formatTable } from '../format.js';
import type { CliIo } from '../io.js';
import { usageError } from '../usage-error.js';

export default defineCommand({
  name: 'slides',
  summary: 'Illustrate a PowerPoint, Marp or Slidev deck',
  description: `Adds one generated picture to every slide of a deck that has none, and leaves everything else exactly as it was. The input is never modified: the result is written to <deck>.illustrated.pptx (or .md) beside it, or to -o; an existing file is replaced only with --overwrite, and a run where no slide needs a picture writes nothing.

Each slide gets one drawable idea from its text: a designer's usual picture for the idea it is about (a roadmap → a calendar, growth → a chart going up, security → a lock …) or a thing it names that the model draws (tulips → a tulip), plus --style; a slide where nothing fits gets no picture. --dry-run shows the prompt and why. A line "illustrate: <prompt>" in a slide's speaker notes (PPTX) or in an HTML comment (Markdown) replaces the prompt; "illustrate: no" leaves the slide alone.

PPTX: an empty picture placeholder is filled (cropped to its frame); otherwise the picture goes where no text or shape is, on the right when possible; if a wide text box leaves no room, it is narrowed to the left 60 % of the slide. Marp decks get "![bg right:40%](…)", Slidev decks "layout: image-right" with "image:"; their pictures are saved in images/ beside the output.`,
  positionals: [{ name: 'deck', description: 'The deck: a .pptx, or a Marp/Slidev .md.', required: true }],
  options: {
    output: {
      type: 'string',
      short: 'o',
      valueName: 'file',
      description: 'Where to write the illustrated copy (a file of the deck’s type, or a folder; not "-").',
      defaultText: '<deck>.illustrated.<ext> beside the deck',
    },
    overwrite: {
      type: 'boolean',
      description:
        'Replace the output deck (and its pictures) if they exist; without it an existing file stops the run before anything is drawn.',
    },
    style: {
      type: 'string',
      valueName: 'text',
      description: 'Added to every prompt, e.g. "flat emoji style".',
    },
    slides: {
      type: 'string',
      valueName: 'list',
      description: 'Only these slides, e.g. 1,3-5 (numbers count from 1).',
      defaultText: 'all',
    },
    force: { type: 'boolean', description: 'Also add a picture to slides that already have one.' },
    'make-room': {
      type: 'boolean',
      description:
        'PPTX: narrow a body text box to fit a picture beside it when nothing else has room (only if its text still fits; never by default).',
    },
    'dry-run': {
      type: 'boolean',
      description: 'Print each slide’s prompt and placement; generate and write nothing.',
    },
    model: imageModelOption,
    steps: {
      type: 'number',
      valueName: 'n',
      description: 'Denoising steps per picture.',
      defaultText: "the model's",
    },
    ...engineOptions,
    json: { type: 'boolean', description: 'Print the per-slide report as one JSON object.' },
    quiet: { type: 'boolean', short: 'q', description: 'Print nothing but errors (and the --json object).' },
    ...helpOption,
  },
  examples: [
    {
      command: 'matryoshka slides talk.pptx',
      explanation: 'Writes talk.illustrated.pptx with a picture on every bare slide.',
    },
    {
      command: 'matryoshka slides talk.pptx --dry-run',
      explanation: 'Shows the prompt and placement for each slide without drawing anything.',
    },
    {
      command: 'matryoshka slides talk.md --style "flat emoji style" --slides 2-4 -o out/talk.md',
      explanation: 'A Marp or Slidev deck, slides 2 to 4 only, pictures saved in out/images/.',
    },
  ],

  async run({ values, positionals, io }) {
    if (positionals.length !== 1) {
      throw usageError(
        positionals.length === 0
          ? 'missing the deck to illustrate'
          : `slides takes one deck (got ${positionals.length})`,
        'try: matryoshka slides talk.pptx',
      );
    }
    if (values.output === '-') {
      throw usageError(
        '-o -: slides writes a deck file (and, for Markdown, its pictures), not a stream',
        'give a file or folder, e.g. -o out/talk.pptx',
      );
    }
    const input = path.resolve(io.cwd, positionals[0] as string);
    const extension = path.extname(input).toLowerCase();
    if (!['.pptx', '.md', '.markdown'].includes(extension)) {
      throw usageError(`${positionals[0]} is not a .pptx or .md deck`, 'run "matryoshka slides --help"');
    }
    // Loaded here, not with the command, so `slides --help` does not wait for the deck libraries.
    const { illustrateDeck, parseSlideSelection } = await import('@matryoshka/slides');
    // Parsed here so a bad list is a usage error before a model is loaded.
    const slides = values.slides === undefined ? undefined : parseSlideSelection(values.slides);
    const dryRun = values['dry-run'] === true;
    // A dry run draws nothing, but asks the model which words it draws, so the plan is the real one.
    const engine = await engineFromFlags(values, io);
    const quiet = values.quiet === true || values.json === true;
    let lastSlide = 0;
    try {
      const report = await illustrateDeck(input, {
        ...(engine === undefined ? {} : { engine }),
        ...(values.output === undefined ? {} : { output: path.resolve(io.cwd, values.output) }),
        ...(values.style === undefined ? {} : { style: values.style }),
        ...(slides === undefined ? {} : { slides }),
        force: values.force === true,
        makeRoom: values['make-room'] === true,
        overwrite: values.overwrite === true,
        dryRun,
        request: {
          ...(values.model === undefined ? {} : { model: values.model }),
          ...(values.steps === undefined ? {} : { steps: values.steps }),
        },
        signal: io.signal,
        onProgress: (p) => {
          if (quiet || p.slide === lastSlide) return;
          lastSlide = p.slide;
          io.stderr.write(`drawing slide ${p.slide} (${p.done + 1}/${p.total})…\n`);
        },
      });
      const fixture =
        engine !== undefined && report.model !== undefined
          ? await fixtureWarning(engine, report.model)
          : undefined;
      if (fixture !== undefined && !report.warnings.some((w) => w.includes('fixture')))
        report.warnings.push(fixture);
      print(report, io, { json: values.json === true, quiet: values.quiet === true, dryRun });
      return ExitCode.ok;
    } finally {
      await engine?.close();
    }
  },
});

function print(
  report: DeckReport,
  io: CliIo,
  mode: { json: boolean; quiet: boolean; dryRun: boolean },
): void {
  if (mode.json) {
    io.stdout.write(`${JSON.stringify({ ok: true, ...report }, null, 2)}\n`);
    return;
  }
  if (mode.quiet) return;
  for (const warning of report.warnings) io.stderr.write(`warning: ${warning}\n`);
  const rows = report.slides.map((s) => [
    String(s.slide),
    s.status,
    s.status === 'skipped' ? (s.detail ?? s.reason ?? '') : (s.placement?.kind ?? ''),
    s.prompt ?? '',
    s.why ?? (s.promptSource === 'notes' ? 'from the speaker notes' : ''),
  ]);
  const table = formatTable(['SLIDE', 'STATUS', 'WHERE / WHY', 'PROMPT', 'WHY THIS PICTURE'], rows);
  // A dry run's plan is its result, so it goes to stdout; after a real run stdout names the file.
  if (mode.dryRun) io.stdout.write(table);
  else io.stderr.write(table);
  const summary = `${report.format} · ${report.illustrated} illustrated · ${report.skipped} skipped · ${formatDuration(report.elapsedMs)}`;
  if (report.output === null) {
    io.stderr.write(`${summary} · ${mode.dryRun ? 'dry run, ' : ''}nothing written\n`);
    return;
  }
  io.stderr.write(`${summary}\n`);
  // The written deck on stdout, so `$(matryoshka slides …)` captures it.
  io.stdout.write(`${path.relative(io.cwd, report.output) || report.output}\n`);
}
