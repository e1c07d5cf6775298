import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildBoard, parseNodeStatus, regionKey, splitRegionId } from './board-model.ts';
import { regionId, testSources } from './test-tables.ts';
import type { TestPeer } from './test-tables.ts';

const peers: TestPeer[] = [
  { id: -1, type: 'METASRV', addr: '127.0.0.1:3002' },
  { id: 1, type: 'DATANODE', addr: '127.0.0.1:9001' },
  { id: 2, type: 'DATANODE', addr: '127.0.0.1:9002' },
  {
    id: 3,
    type: 'DATANODE',
    addr: '127.0.0.1:9003',
    status: JSON.stringify({ status: 'down', reason: 'lease expired' }),
  },
  { id: 1, type: 'FRONTEND', addr: '127.0.0.1:4000' },
];

test('region ids are read exactly and split into table id and region number', () => {
  const id = regionId(1024, 2);
  assert.equal(regionKey(id), '4398046511106');
  assert.deepEqual(splitRegionId('4398046511106'), { tableId: 1024, regionNumber: 2 });
  // Above 2^53 a number would round; the bigint path keeps every digit.
  const big = regionId(4_000_000_000, 7);
  assert.equal(regionKey(big), big.toString());
  assert.deepEqual(splitRegionId(big.toString()), { tableId: 4_000_000_000, regionNumber: 7 });
  assert.equal(regionKey(null), null);
  assert.equal(regionKey(1.5), null);
});

test('node_status JSON reads as alive / down / unknown, with the reason', () => {
  assert.deepEqual(parseNodeStatus('{"status":"alive"}', 'DATANODE'), { status: 'alive', reason: null });
  assert.deepEqual(parseNodeStatus('{"status":"down","reason":"lease expired"}', 'DATANODE'), {
    status: 'down',
    reason: 'lease expired',
  });
  assert.deepEqual(parseNodeStatus(null, 'METASRV'), { status: 'alive', reason: null });
  assert.deepEqual(parseNodeStatus(null, 'DATANODE'), { status: 'unknown', reason: null });
  assert.deepEqual(parseNodeStatus('Down', 'DATANODE'), { status: 'down', reason: null });
});

test('the board has a column per datanode with its leader regions, tables and statistics', () => {
  const regions = [
    {
      regionId: regionId(1024, 0),
      peer: 1,
      table: 'cpu',
      expression: "host < 'h'",
      rows: 10,
      disk: 2048,
      memtable: 100,
    },
    { regionId: regionId(1024, 1), peer: 2, table: 'cpu', expression: "host >= 'h'", rows: 5, memtable: 64 },
    { regionId: regionId(1025, 0), peer: 2, schema: 'metrics', table: 'mem', rows: 1 },
    // A follower copy does not place a tile.
    { regionId: regionId(1025, 0), peer: 1, schema: 'metrics', table: 'mem', leader: false },
  ];
  const board = buildBoard(testSources(peers, regions, regions.slice(0, 3)), 42);
  assert.deepEqual(
    board.datanodes.map((c) => [c.peer.id, c.peer.status, c.regions.map((r) => r.regionNumber)]),
    [
      [1, 'alive', [0]],
      [2, 'alive', [1, 0]],
      [3, 'down', []],
    ],
  );
  assert.equal(board.datanodes[2]!.peer.statusReason, 'lease expired');
  assert.deepEqual(
    board.metasrv.map((p) => p.addr),
    ['127.0.0.1:3002'],
  );
  assert.deepEqual(
    board.frontends.map((p) => p.addr),
    ['127.0.0.1:4000'],
  );
  assert.deepEqual(board.databases, ['metrics', 'public']);
  assert.equal(board.fetchedAt, 42);

  const tile = board.regions.get(regionId(1024, 0).toString())!;
  assert.equal(tile.table, 'cpu');
  assert.equal(tile.schema, 'public');
  assert.equal(tile.tableId, 1024);
  assert.equal(tile.expression, "host < 'h'");
  assert.equal(tile.partitionName, 'p0');
  assert.equal(tile.rows, 10);
  assert.equal(tile.bytes, 2048 + 100);
  assert.equal(tile.peerId, 1);
  assert.equal(tile.hasStats, true);
  assert.equal(board.datanodes[1]!.rows, 6);
  assert.equal(board.datanodes[1]!.bytes, 64);
  assert.equal(board.datanodes[0]!.peer.cpuMillicores, 15);
  assert.equal(board.datanodes[0]!.peer.totalMemoryBytes, 8 * 2 ** 30);
});

test('a region on a node cluster_info does not list still gets a column; missing statistics read as unknown', () => {
  const regions = [
    { regionId: regionId(1024, 0), peer: 1, table: 'cpu' },
    { regionId: regionId(1024, 1), peer: 9, table: 'cpu', status: 'DOWNGRADED' },
  ];
  const board = buildBoard(testSources(peers, regions, regions.slice(0, 1)), 0);
  const ghost = board.datanodes.find((c) => c.peer.id === 9)!;
  assert.equal(ghost.peer.status, 'unknown');
  assert.equal(ghost.peer.addr, '127.0.0.1:9009');
  const tile = ghost.regions[0]!;
  assert.equal(tile.hasStats, false);
  assert.equal(tile.status, 'DOWNGRADED');
  assert.equal(tile.expression, null);
});
