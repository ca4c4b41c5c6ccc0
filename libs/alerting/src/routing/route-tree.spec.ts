import {
  compilePolicy,
  describeRoute,
  groupKeyOf,
  groupLabelsFor,
  matchRoutes,
  type PolicyDocument,
} from './route-tree';

const ch = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

// Adapted from Alertmanager's dispatch/route_test.go TestRouteMatch.
const doc: PolicyDocument = {
  receivers: [
    'notify-def',
    'notify-A',
    'notify-B',
    'notify-BC',
    'notify-testing',
    'notify-productionA',
    'notify-productionB',
  ].map((name, i) => ({
    name,
    channelIds: [ch(i)],
  })),
  route: {
    receiver: 'notify-def',
    groupWait: '30s',
    routes: [
      {
        matchers: ['owner="team-A"'],
        receiver: 'notify-A',
        routes: [{ matchers: ['env="testing"'], receiver: 'notify-testing', groupBy: ['...'] }],
      },
      { matchers: ['owner="team-B"'], receiver: 'notify-B' },
      {
        matchers: ['owner=~"team-(B|C)"'],
        groupBy: ['foo', 'bar'],
        groupWait: '2m',
        receiver: 'notify-BC',
      },
      {
        matchers: ['group_by="role"'],
        groupBy: ['role'],
        routes: [
          {
            matchers: ['env="testing"'],
            receiver: 'notify-testing',
            routes: [{ matchers: ['wait="long"'], groupWait: '2m' }],
          },
        ],
      },
      {
        matchers: ['env="production"'],
        receiver: 'notify-productionA',
        continue: true,
        groupWait: '1m',
      },
      {
        matchers: ['env="production"'],
        receiver: 'notify-productionB',
        groupInterval: '10m',
        repeatInterval: '1h',
      },
    ],
  },
};
const policy = compilePolicy(doc);
const route = (labels: Record<string, string>) =>
  matchRoutes(policy.root, labels).map(describeRoute);

describe('notification policy tree', () => {
  it('falls back to the root and inherits its settings', () => {
    const [r] = route({ owner: 'nobody' });
    expect(r).toMatchObject({
      receiver: 'notify-def',
      groupWait: '30s',
      groupInterval: '5m',
      repeatInterval: '4h',
      groupBy: [],
    });
  });

  it('takes the first matching sibling and stops there', () => {
    expect(route({ owner: 'team-A' }).map((r) => r.receiver)).toEqual(['notify-A']);
    expect(route({ owner: 'team-B' }).map((r) => r.receiver)).toEqual(['notify-B']);
    const [bc] = route({ owner: 'team-C' });
    expect(bc).toMatchObject({ receiver: 'notify-BC', groupBy: ['foo', 'bar'], groupWait: '2m' });
  });

  it('descends into children, which inherit group_by and timers', () => {
    expect(route({ owner: 'team-A', env: 'testing' })).toEqual([
      expect.objectContaining({ receiver: 'notify-testing', groupBy: ['...'], groupWait: '30s' }),
    ]);
    const [deep] = route({ group_by: 'role', env: 'testing', wait: 'long' });
    expect(deep).toMatchObject({ receiver: 'notify-testing', groupBy: ['role'], groupWait: '2m' });
  });

  it('continue lets later siblings match too', () => {
    const both = route({ env: 'production' });
    expect(both.map((r) => r.receiver)).toEqual(['notify-productionA', 'notify-productionB']);
    expect(both[0]).toMatchObject({ groupWait: '1m', groupInterval: '5m' });
    expect(both[1]).toMatchObject({ groupWait: '30s', groupInterval: '10m', repeatInterval: '1h' });
  });

  it('builds group keys from the route and the group_by labels, `...` meaning all labels', () => {
    const [r] = matchRoutes(policy.root, { owner: 'team-C', foo: '1', bar: '2', other: 'x' });
    expect(groupLabelsFor(r, { owner: 'team-C', foo: '1', bar: '2', other: 'x' })).toEqual({
      bar: '2',
      foo: '1',
    });
    expect(groupKeyOf(r, { bar: '2', foo: '1' })).toBe(
      '{}/{owner=~"team-(B|C)"}:{bar="2",foo="1"}',
    );
    const [all] = matchRoutes(policy.root, { owner: 'team-A', env: 'testing', x: 'y' });
    expect(groupLabelsFor(all, { owner: 'team-A', env: 'testing', x: 'y' })).toEqual({
      env: 'testing',
      owner: 'team-A',
      x: 'y',
    });
  });

  it('rejects invalid documents with the place of the error', () => {
    expect(() => compilePolicy({ route: { receiver: 'x' } })).toThrow('unknown receiver "x"');
    expect(() =>
      compilePolicy({ route: { receiver: 'd', matchers: ['a="b"'] }, receivers: [{ name: 'd' }] }),
    ).toThrow('root route must not have matchers');
    expect(() =>
      compilePolicy({
        receivers: [{ name: 'd' }],
        route: { receiver: 'd', routes: [{ matchers: ['a=~"("'] }] },
      }),
    ).toThrow('route 0.0: invalid regular expression');
    expect(() =>
      compilePolicy({ receivers: [{ name: 'd' }], route: { receiver: 'd', groupWait: 'soon' } }),
    ).toThrow('not a duration');
    expect(() =>
      compilePolicy({ receivers: [{ name: 'd', channelIds: ['nope'] }], route: { receiver: 'd' } }),
    ).toThrow('channel ids');
    expect(() =>
      compilePolicy({
        receivers: [{ name: 'd' }],
        route: { receiver: 'd', muteTimeIntervals: ['nights'] },
      }),
    ).toThrow('unknown time interval');
  });
});
