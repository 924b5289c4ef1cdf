"""Classification of spend lines: the classifier built from crosswalks and rules (``builder``),
the authority's rules and supplier defaults (``rules``), lines classified once per distinct
set of inputs (``line_classes``), the evidence review suggestions learn from (``evidence``),
the review queue (``review``), sign-off of the lines that matter most (``signoff``) and
scoring against a hand-labelled set (``evaluation``)."""
