from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from courses.models import LessonPage, ModulePage, ProgrammePage


class PageTreeTests(WagtailPageTestCase):
    def test_programmes_under_root_or_under_the_home_programme(self):
        # The home programme is the site root; the other programmes are its children (issue 18).
        self.assertAllowedParentPageTypes(ProgrammePage, {Page, ProgrammePage})
        self.assertAllowedSubpageTypes(ProgrammePage, {ModulePage, ProgrammePage})

    def test_modules_only_under_programme(self):
        self.assertAllowedParentPageTypes(ModulePage, {ProgrammePage})
        self.assertCanNotCreateAt(Page, ModulePage)

    def test_lessons_only_under_modules_and_have_no_children(self):
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})
        self.assertAllowedSubpageTypes(LessonPage, set())
        self.assertCanNotCreateAt(ProgrammePage, LessonPage)

    def test_every_loaded_page_renders(self):
        for page in Page.objects.type(ProgrammePage, ModulePage, LessonPage).specific():
            with self.subTest(page=page.url_path, locale=page.locale_id):
                self.assertPageIsRenderable(page)
