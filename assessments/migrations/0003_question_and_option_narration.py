"""Questions and options play a Narration (mono Opus, measured) instead of a raw document.

The old document link is dropped rather than converted: a document id is not a narration id, and no
curriculum question had one.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0002_editor_permissions'),
        ('courses', '0005_editors_manage_narrations'),
    ]

    operations = [
        migrations.AddField(
            model_name='option',
            name='audio',
            field=models.ForeignKey(blank=True, help_text='This option read aloud, played only on tap.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='courses.narration', verbose_name='narration'),
        ),
        migrations.RemoveField(model_name='question', name='audio'),
        migrations.AddField(
            model_name='question',
            name='audio',
            field=models.ForeignKey(blank=True, help_text='The question (and its options) read aloud, played only on tap.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='courses.narration', verbose_name='narration'),
        ),
    ]
