/**
 * Tells a card when it first comes near the screen, with one IntersectionObserver for the whole
 * board. Cards register with drag-and-drop only then: dnd-kit's accessibility plugin walks every
 * registered draggable on each registration, so registering a thousand cards at once is
 * quadratic (seconds on a 1,000-card board); a screenful at a time is not. Once active, a card
 * stays active, also when its component is re-created in another column (a card being dragged
 * between columns must never drop out of drag-and-drop, not even for a frame).
 */
export class VisibilityWatcher {
	#observer: IntersectionObserver | null = null;
	readonly #pending = new Map<Element, () => void>();
	readonly #active = new Set<string>();
	readonly #rootMargin: string;

	constructor(rootMargin = '300px') {
		this.#rootMargin = rootMargin;
	}

	isActive(key: string): boolean {
		return this.#active.has(key);
	}

	markActive(key: string): void {
		this.#active.add(key);
	}

	/** Calls `onVisible` once, when `node` first comes within the margin of the screen. */
	observe(node: Element, onVisible: () => void): () => void {
		if (typeof IntersectionObserver === 'undefined') {
			onVisible();
			return () => {};
		}
		this.#observer ??= new IntersectionObserver((entries) => this.#onEntries(entries), {
			rootMargin: this.#rootMargin
		});
		this.#pending.set(node, onVisible);
		this.#observer.observe(node);
		return () => this.#forget(node);
	}

	disconnect(): void {
		this.#observer?.disconnect();
		this.#observer = null;
		this.#pending.clear();
		this.#active.clear();
	}

	#onEntries(entries: IntersectionObserverEntry[]): void {
		for (const entry of entries) {
			if (!entry.isIntersecting) continue;
			const onVisible = this.#pending.get(entry.target);
			this.#forget(entry.target);
			onVisible?.();
		}
	}

	#forget(node: Element): void {
		this.#pending.delete(node);
		this.#observer?.unobserve(node);
	}
}
