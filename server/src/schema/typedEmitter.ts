/**
 * A minimal typed event emitter for the core (no Node `EventEmitter` typing games, no VS Code
 * types). A listener that throws is isolated: it never breaks the emitter or the other listeners.
 */
export class TypedEmitter<Events extends Record<string, unknown>> {
  private readonly listeners = new Map<keyof Events, Set<(event: never) => void>>();

  /** Subscribes; the returned function unsubscribes. */
  on<K extends keyof Events>(name: K, listener: (event: Events[K]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Resolves with the next event of that name. */
  once<K extends keyof Events>(name: K): Promise<Events[K]> {
    return new Promise((resolve) => {
      const off = this.on(name, (event) => {
        off();
        resolve(event);
      });
    });
  }

  protected emit<K extends keyof Events>(name: K, event: Events[K]): void {
    for (const listener of [...(this.listeners.get(name) ?? [])]) {
      try {
        (listener as (event: Events[K]) => void)(event);
      } catch {
        // A front end's bug must not stop the cache from working or other listeners from hearing.
      }
    }
  }
}
