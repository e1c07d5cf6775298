// Partitioned tables with the embedded metadata store (the suite: testing/partitioned-suite.ts).
import { partitionedTableSuite } from './testing/partitioned-suite.ts';

partitionedTableSuite('partitioned tables on a 3-datanode cluster (embedded metadata)', () => undefined);
