import type { SamplerName } from '../constants.js';
import { DdimSampler } from './ddim.js';
import { DdpmSampler } from './ddpm.js';
import { DpmPp2mSampler } from './dpmpp-2m.js';
import type { Sampler, SamplerConfig } from './sampler.js';

export type { Sampler, SamplerConfig, SamplerStep } from './sampler.js';
export { DdimSampler, DdpmSampler, DpmPp2mSampler };

export function createSampler(name: SamplerName, config: SamplerConfig): Sampler {
  switch (name) {
    case 'ddim':
      return new DdimSampler(config);
    case 'ddpm':
      return new DdpmSampler(config);
    case 'dpmpp-2m':
      return new DpmPp2mSampler(config);
  }
}
