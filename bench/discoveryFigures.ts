import type { SchemaDriver } from '../server/src/db/driver';
import { fmt, median, peakRssMb, report } from './measure';

export interface DiscoveryFloor {
  /** Minimal queries per object kind, run and timed by the server's own command-line client. */
  floor: () => Promise<number>;
  /** Our catalog queries, run and timed by that client: what the queries alone cost. */
  ourQueries: () => Promise<number>;
  client: string;
  /** The absolute goal for this schema size, if there is one. */
  discoveryGoal?: string;
}

const ROUNDS = 5;

/**
 * Times a driver's discovery and fingerprint against the floor, interleaved round by round so a
 * loaded machine slows all of them alike, prints medians and ratios, and closes the driver.
 */
export async function reportDiscovery(driver: SchemaDriver, floor: DiscoveryFloor): Promise<void> {
  let queries = 0;
  let columns = 0;
  const floors: number[] = [];
  const ourQueries: number[] = [];
  const discoveries: number[] = [];
  const fingerprints: number[] = [];
  await driver.fingerprint(); // the first poll of a session may set up; the rest is the steady cost
  const { peakMb } = await peakRssMb(async () => {
    for (let round = 0; round < ROUNDS; round++) {
      floors.push(await floor.floor());
      ourQueries.push(await floor.ourQueries());
      let started = performance.now();
      const result = await driver.discover();
      discoveries.push(performance.now() - started);
      queries = result.queryCount;
      columns = result.snapshot.relations.reduce((n, r) => n + r.columns.length, 0);
      started = performance.now();
      await driver.fingerprint();
      fingerprints.push(performance.now() - started);
    }
  });
  await driver.close();

  const [floorMs, oursInClient, ours, fingerprint] = [floors, ourQueries, discoveries, fingerprints].map(median);
  report(`minimal queries per kind in ${floor.client} (floor)`, `${fmt(floorMs)} ms`);
  report(`our catalog queries in ${floor.client}`, `${fmt(oursInClient)} ms`);
  report('our discovery', `${fmt(ours)} ms`, floor.discoveryGoal ?? '');
  report('ratio to floor', `${fmt(ours / floorMs, 2)}×`, 'goal ≤ 1.3×');
  report('catalog queries issued', fmt(queries), 'fixed, not per table');
  report('columns discovered', fmt(columns));
  report('fingerprint poll', `${fmt(fingerprint, 1)} ms`);
  report('fingerprint / discovery', `${fmt((fingerprint / ours) * 100, 1)} %`, 'goal ≤ 5 %');
  report('peak RSS during discovery', `${fmt(peakMb)} MB`);
  process.stdout.write(`  (medians of ${ROUNDS} interleaved rounds)\n`);
}
