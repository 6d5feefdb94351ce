export { MatryoshkaImageModel, type MatryoshkaImageModelId } from './matryoshka-image-model.js';
export {
  createMatryoshka,
  type MatryoshkaProvider,
  type MatryoshkaProviderSettings,
  matryoshka,
} from './matryoshka-provider.js';
export { MatryoshkaVideoModel, type MatryoshkaVideoModelId } from './matryoshka-video-model.js';
