"""People's languages and the interface's: one answer to "which language does Telar speak to her"."""

from django.conf import settings


def interface_language(code: str | None) -> str:
    """``code`` when the interface is translated into it (settings.LANGUAGES), the default otherwise.

    Her preferred language may be Tsotsil (``tzo``) or Tseltal (``tzh``) before Telar has a
    catalogue for it: that is kept as a fact about her, and she reads Spanish meanwhile.
    """
    available = {language for language, _name in settings.LANGUAGES}
    return code if code in available else settings.LANGUAGE_CODE
