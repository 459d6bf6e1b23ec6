DROP TABLE training_enrolments;
DROP TABLE training_courses;
