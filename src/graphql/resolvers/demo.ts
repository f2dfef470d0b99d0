import { InvalidStateError } from '../../common/errors.js';
import type { DemoClockState } from '../../demo/clock.js';
import type { DemoWorld } from '../../demo/world.js';
import type { Resolvers } from '../../generated/graphql.js';

const view = (world: DemoWorld, state: DemoClockState) => ({ ...state, upstreamsAsOf: new Date(state.upstreamsAsOf), storyEndsAt: new Date(state.storyEndsAt), today: world.clock.now() });

export const demoResolvers: Resolvers = {
  Query: {
    demoClock: async (_, __, { demoWorld }) => (demoWorld ? view(demoWorld, await demoWorld.reload()) : null),
  },
  Mutation: {
    advanceDemoClock: async (_, { months }, { demoWorld, actor }) => {
      if (!demoWorld) throw new InvalidStateError('this hub does not run the demo (DEMO=false): its clock is the real one');
      return view(demoWorld, await demoWorld.advance(actor, months));
    },
  },
};
