"""Research cycles (lesson study): a Work Group's research theme and question, and cycles that gather a study
document, the research lesson plan, its visit(s), the post-lesson discussion and the revised plan."""
