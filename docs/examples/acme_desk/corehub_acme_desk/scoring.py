"""Step 2: Acme's scoring rule, replacing the default one.

Acme scores a section only when at least half of its rating questions were rated (less
is not enough evidence), and rounds every score to the nearest half point.
"""

from corehub.models import Form, QuestionType, Review, ReviewScore, SectionScore


def half_points(value: float) -> float:
    return round(value * 2) / 2


def acme_score(review: Review, form: Form) -> ReviewScore:
    sections = []
    for section in form.sections:
        ratings = [q for q in section.questions if q.type is QuestionType.RATING]
        if not ratings:
            continue
        values = [v for q in ratings if isinstance(v := review.answers.get(q.id), int)]
        enough = len(values) * 2 >= len(ratings)
        score = half_points(sum(values) / len(values)) if values and enough else None
        sections.append(
            SectionScore(
                section_id=section.id, score=score, rated=len(values), rateable=len(ratings)
            )
        )
    scored = [s.score for s in sections if s.score is not None]
    overall = half_points(sum(scored) / len(scored)) if scored else None
    return ReviewScore(overall=overall, sections=tuple(sections))
