import type { RunStats } from './summary';

/** Thrown instead of sending once the budget is used up; the runner turns it into BUDGET_EXCEEDED at the end of the run. */
export class BudgetRefusal extends Error {
	constructor() {
		super('The Token Budget is used up: this request was not sent.');
	}
}

/** An item the budget kept from being sent, worded with the run's final figures. */
export class BudgetExceededError extends Error {
	constructor(
		readonly budget: number,
		readonly used: number,
		readonly answered: number,
		readonly items: number,
	) {
		const format = (count: number) => count.toLocaleString('en-US');
		super(
			`The Token Budget of ${format(budget)} tokens was reached: Humiris reported ${format(used)} tokens for this run (prompt and completion, every attempt) and ${format(answered)} of ${format(items)} items were answered, so this item was not sent. Raise the Token Budget option, or split the run into smaller ones (for example with a Loop Over Items node before this node).`,
		);
	}
}

/**
 * The run's token budget, judged on the tokens Humiris reported so far. Requests already sent
 * cannot be called back, so the run can end past the budget by what those in flight use.
 */
export class TokenBudget {
	constructor(
		/** 0 sets no budget. */
		readonly limit: number,
		private readonly stats: RunStats,
	) {}

	get spent(): boolean {
		return this.limit > 0 && this.stats.totalTokens >= this.limit;
	}

	/** Asked before every request (a fix-up re-ask too): no new request starts once the budget is spent. */
	allowRequest(): void {
		if (this.spent) throw new BudgetRefusal();
	}

	exceeded(answered: number, items: number): BudgetExceededError {
		return new BudgetExceededError(this.limit, this.stats.totalTokens, answered, items);
	}
}
