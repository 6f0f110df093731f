import { afterEach, describe, expect, it, vi } from 'vitest';
import { VisibilityWatcher } from './visibility-watcher';

type Callback = (entries: Partial<IntersectionObserverEntry>[]) => void;

class FakeObserver {
	static last: FakeObserver | null = null;
	observed = new Set<unknown>();
	constructor(readonly callback: Callback) {
		FakeObserver.last = this;
	}
	observe(node: unknown) {
		this.observed.add(node);
	}
	unobserve(node: unknown) {
		this.observed.delete(node);
	}
	disconnect() {
		this.observed.clear();
	}
}

afterEach(() => {
	vi.unstubAllGlobals();
	FakeObserver.last = null;
});

describe('VisibilityWatcher', () => {
	it('activates a card once, when it first intersects, and then stops watching it', () => {
		vi.stubGlobal('IntersectionObserver', FakeObserver);
		const watcher = new VisibilityWatcher();
		const node = {} as Element;
		const other = {} as Element;
		let calls = 0;
		watcher.observe(node, () => calls++);
		watcher.observe(other, () => calls++);
		const observer = FakeObserver.last!;
		observer.callback([{ target: node, isIntersecting: false }]);
		expect(calls).toBe(0);
		observer.callback([{ target: node, isIntersecting: true }]);
		observer.callback([{ target: node, isIntersecting: true }]);
		expect(calls).toBe(1);
		expect(observer.observed.has(node)).toBe(false);
		expect(observer.observed.has(other)).toBe(true);
	});

	it('remembers active cards across re-created components, and activates at once without IntersectionObserver', () => {
		vi.stubGlobal('IntersectionObserver', undefined);
		const watcher = new VisibilityWatcher();
		let activated = false;
		watcher.observe({} as Element, () => (activated = true));
		expect(activated).toBe(true);
		expect(watcher.isActive('card-1')).toBe(false);
		watcher.markActive('card-1');
		expect(watcher.isActive('card-1')).toBe(true);
		watcher.disconnect();
		expect(watcher.isActive('card-1')).toBe(false);
	});
});
