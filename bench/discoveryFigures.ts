import type { SchemaDriver } from '../server/src/db/driver';
import { fmt, medianMs, peakRssMb, report } from './measure';

/**
 * Times a driver's discovery (median of 3, with the peak RSS) and fingerprint (median of 5),
 * closes the driver and prints the figures against the floor: the same catalog queries sent by
 * a bare client. `discoveryGoal` is the absolute goal for this schema size, if there is one.
 */
export async function reportDiscovery(driver: SchemaDriver, floorMs: number, discoveryGoal = ''): Promise<void> {
  let queries = 0;
  let columns = 0;
  const { result: ours, peakMb } = await peakRssMb(() =>
    medianMs(3, async () => {
      const result = await driver.discover();
      queries = result.queryCount;
      columns = result.snapshot.relations.reduce((n, r) => n + r.columns.length, 0);
    }),
  );
  const fingerprint = await medianMs(5, () => driver.fingerprint());
  await driver.close();

  report('catalog queries run directly (floor)', `${fmt(floorMs)} ms`);
  report('our discovery', `${fmt(ours)} ms`, discoveryGoal);
  report('ratio to floor', `${fmt(ours / floorMs, 2)}×`, 'goal ≤ 1.5×');
  report('catalog queries issued', fmt(queries), 'fixed, not per table');
  report('columns discovered', fmt(columns));
  report('fingerprint query', `${fmt(fingerprint, 1)} ms`);
  report('fingerprint / discovery', `${fmt((fingerprint / ours) * 100, 1)} %`, 'goal < 5 %');
  report('peak RSS during discovery', `${fmt(peakMb)} MB`);
}
