DROP TABLE appointments;
DROP TABLE centre_slots;
