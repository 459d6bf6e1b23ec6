DROP TABLE news_broadcasts;
