"""corehub-self-assessment: review forms, self-assessment, manager review, goals and sign-off.

The library the command line and the web app share is :mod:`corehub_self_assessment.reviews`
(reviews and who may see them) and :mod:`corehub_self_assessment.forms` (forms).
"""

__version__ = "0.1.0"
