export * from './fleet.ts';
export * from './jobs.ts';
export * from './order.ts';
export * from './rows.ts';
export * from './schedule.ts';
