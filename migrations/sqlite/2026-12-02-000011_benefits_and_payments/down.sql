DROP TABLE payment_operations;
DROP TABLE payments;
DROP TABLE benefit_application_history;
DROP TABLE benefit_applications;
