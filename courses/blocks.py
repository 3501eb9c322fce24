"""StreamField blocks for lesson bodies.

Each block renders with its own small template under templates/blocks/ and
is designed for slow, shared phones: images are small WebP renditions loaded
lazily, audio never downloads until she taps play.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

PARAGRAPH_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section heading (h2)")), ("h3", _("Sub-heading (h3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Heading")
        description = _("A section heading; the page title is the only h1.")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        label=_("Alternative text"), max_length=250, help_text=_("Describe what the image shows, for screen readers.")
    )
    caption = blocks.CharBlock(label=_("Caption"), max_length=250, required=False)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        label = _("Image")
        description = _("A small image (at most 640 px wide, WebP) with a caption.")


class AudioBlock(blocks.StructBlock):
    audio = SnippetChooserBlock(
        "courses.Narration",
        label=_("Narration"),
        help_text=_("A recording from Narrations (any voice note or sound file, made small when uploaded)."),
    )
    label = blocks.CharBlock(label=_("Label"), max_length=120, help_text=_("For example: Listen to this lesson."))
    transcript = blocks.TextBlock(label=_("Transcript"), required=False)

    class Meta:
        icon = "media"
        template = "blocks/audio_block.html"
        label = _("Narrated audio")
        description = _("A narration that plays only when tapped; nothing downloads before.")


class TipBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("tip", _("Tip")), ("warning", _("Watch out")), ("example", _("Example"))],
        default="tip",
    )
    text = blocks.TextBlock(label=_("Text"))

    class Meta:
        icon = "help"
        template = "blocks/tip_block.html"
        label = _("Tip or callout")
        description = _("A short highlighted tip, warning or example.")


def _named(block: blocks.CharBlock) -> blocks.CharBlock:
    """Wagtail's ListBlock draws its items' inputs without a <label>: the input carries the item's name
    instead, so a screen reader says "Paso" (axe-core: label, critical). Widget attrs are not part of the
    block's definition, so no migration."""
    block.field.widget.attrs["aria-label"] = block.label
    return block


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120, required=False)
    steps = blocks.ListBlock(_named(blocks.CharBlock(label=_("Step"), max_length=300)), label=_("Steps"), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "blocks/steps_block.html"
        label = _("Numbered steps")
        description = _("A numbered list of steps to follow in order.")


class KeyIdeaBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Text"))

    class Meta:
        icon = "pick"
        template = "blocks/key_idea_block.html"
        label = _("Key idea")
        description = _("The one thing to remember from this lesson.")


class LessonStreamBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES,
        label=_("Paragraph"),
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        description=_("Text with bold, italic, lists and links."),
    )
    heading = HeadingBlock()
    image = ImageBlock()
    audio = AudioBlock()
    tip = TipBlock()
    steps = StepsBlock()
    key_idea = KeyIdeaBlock()
