DROP TABLE instance_marks;
