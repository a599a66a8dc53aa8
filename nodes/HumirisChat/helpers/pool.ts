/**
 * Runs `work(index)` for every index with at most `limit` running at once, keeping the
 * limit full while indexes remain. Results go wherever `work` writes them (by index), so
 * the order they finish in does not matter. `stop()` is asked before each launch: once it
 * says yes, nothing new starts and the running ones finish.
 */
export async function forEachLimited(
	count: number,
	limit: number,
	work: (index: number) => Promise<void>,
	stop: () => boolean,
): Promise<void> {
	let next = 0;
	const lane = async (): Promise<void> => {
		while (next < count && !stop()) {
			await work(next++);
		}
	};
	const lanes = Math.max(1, Math.min(Math.floor(limit) || 1, count));
	await Promise.all(Array.from({ length: lanes }, lane));
}
