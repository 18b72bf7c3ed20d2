// What a scan puts on the bus, as comparable text: events and alerts as JSON and problems' messages, in the order
// they came, then the counter's summary. A parallel scan must give exactly what a single-threaded one gives.
import { Bus } from '../../src/bus.js';
import { Counter } from '../../src/counter/counter.js';

/** A bus to scan onto, and `text()`, which gives its traffic once the scan is done. */
export function busTraffic(): { bus: Bus; text: () => string[] } {
  const bus = new Bus();
  const counter = new Counter(bus, { top: 5 });
  const out: string[] = [];
  bus.on('event', (e) => out.push(JSON.stringify(e)));
  bus.on('alert', (a) => out.push(JSON.stringify(a)));
  bus.on('problem', (p) => out.push(p.message));
  return { bus, text: () => [...out, JSON.stringify(counter.summary())] };
}
