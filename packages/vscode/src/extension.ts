import * as vscode from 'vscode';
import { chooseModelCommand } from './commands/choose-model.js';
import { copyPromptCommand } from './commands/copy-prompt.js';
import { generateClipCommand } from './commands/generate-clip.js';
import { generateImageCommand } from './commands/generate-image.js';
import { generateWithOptionsCommand } from './commands/generate-with-options.js';
import { illustrateDeckCommand } from './commands/illustrate-deck.js';
import { insertImageCommand } from './commands/insert-image.js';
import { regenerateCommand } from './commands/regenerate.js';
import { showGalleryCommand } from './commands/show-gallery.js';
import { variationsCommand } from './commands/variations.js';
import { watchDeckPaths } from './decks/deck-context.js';
import { GALLERY_VIEW_ID, GalleryView } from './gallery/gallery-view.js';
import { ImageLinkActions } from './links/image-link-provider.js';
import { Services } from './services.js';

// Registration only: every command's logic lives in its own file, and nothing heavy (no engine,
// no model) loads until a command runs. Activated at startup only to list the workspace's decks, so
// that "Illustrate Slide Deck" is offered on decks alone.
export function activate(context: vscode.ExtensionContext): void {
  const services = new Services(context);
  const gallery = new GalleryView(services);
  const links = new ImageLinkActions(services.history);
  const markdown: vscode.DocumentSelector = { language: 'markdown', scheme: 'file' };
  const register = (id: string, run: (...args: never[]) => unknown) =>
    vscode.commands.registerCommand(`matryoshka.${id}`, run as (...args: unknown[]) => unknown);
  context.subscriptions.push(
    services,
    gallery,
    vscode.window.registerWebviewViewProvider(GALLERY_VIEW_ID, gallery),
    watchDeckPaths(),
    vscode.languages.registerHoverProvider(markdown, links),
    vscode.languages.registerCodeActionsProvider(markdown, links, {
      providedCodeActionKinds: [ImageLinkActions.kind],
    }),
    register('generateImage', (args?: Parameters<typeof generateImageCommand>[1]) =>
      generateImageCommand(services, args),
    ),
    // The editor menu's entry: the same flow, titled for where its prompt comes from.
    register('generateFromSelection', () => generateImageCommand(services)),
    register('generateWithOptions', () => generateWithOptionsCommand(services)),
    register('generateClip', (args?: Parameters<typeof generateClipCommand>[1]) =>
      generateClipCommand(services, args),
    ),
    register('insertImage', (args?: Parameters<typeof insertImageCommand>[1]) =>
      insertImageCommand(services, args),
    ),
    register('regenerate', (target?: unknown) => regenerateCommand(services, target)),
    register('copyPrompt', (target?: unknown) => copyPromptCommand(services, target)),
    register('chooseModel', () => chooseModelCommand(services)),
    register('illustrateDeck', (uri?: vscode.Uri) => illustrateDeckCommand(services, uri)),
    register('showGallery', () => showGalleryCommand(gallery)),
    register('showInGallery', (target?: unknown) => showGalleryCommand(gallery, target)),
    register('variations', (target?: unknown) => variationsCommand(services, target)),
  );
}

export function deactivate(): void {}
