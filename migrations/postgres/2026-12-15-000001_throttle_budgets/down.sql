DROP TABLE throttle_budgets;
