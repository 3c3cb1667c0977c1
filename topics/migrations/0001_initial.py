import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.app_moves import move_content_types

MODELS = ["topicsuggestion", "topicvote"]


def move_to_topics(apps, schema_editor):
    move_content_types(apps, from_app="comments", to_app="topics", model_names=MODELS, using=schema_editor.connection.alias)


def move_back(apps, schema_editor):
    move_content_types(apps, from_app="topics", to_app="comments", model_names=MODELS, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    """Topic suggestions and votes move from `comments` to their own app; their tables stay."""

    initial = True

    dependencies = [
        ("articles", "0002_editor_group"),
        ("comments", "0004_comment_threads_index"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='TopicSuggestion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('hold_reasons', models.JSONField(blank=True, default=list, help_text='Why it was not published at once.')),
                        ('captcha_score', models.FloatField(blank=True, null=True, verbose_name='CAPTCHA score')),
                        ('captcha_action', models.CharField(blank=True, max_length=40, verbose_name='CAPTCHA action')),
                        ('captcha_hostname_ok', models.BooleanField(blank=True, null=True, verbose_name='CAPTCHA hostname matched')),
                        ('ip_hash', models.CharField(blank=True, editable=False, max_length=64, verbose_name='address hash')),
                        ('user_agent', models.CharField(blank=True, max_length=300)),
                        ('created', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('moderated_at', models.DateTimeField(blank=True, null=True)),
                        ('status', models.CharField(choices=[('pending', 'New'), ('under_review', 'Under review'), ('planned', 'Planned'), ('published', 'Published'), ('declined', 'Declined'), ('spam', 'Spam')], db_index=True, default='pending', max_length=20)),
                        ('topic', models.CharField(help_text='Shown on the public board once planned.', max_length=120)),
                        ('details', models.TextField(blank=True, max_length=2000)),
                        ('name', models.CharField(blank=True, help_text='Never shown on the site.', max_length=80)),
                        ('email', models.EmailField(blank=True, help_text='Never shown on the site.', max_length=254)),
                        ('notify_when_published', models.BooleanField(default=False, verbose_name='tell me when it is published')),
                        ('votes', models.PositiveIntegerField(default=0, help_text='“I want this too” clicks, one per reader.')),
                        ('staff_note', models.TextField(blank=True, verbose_name='private staff note')),
                        ('activity_at', models.DateTimeField(auto_now_add=True, db_index=True, help_text='Orders the public board.', verbose_name='last activity')),
                        ('article', models.ForeignKey(blank=True, help_text='Choosing a live article marks the suggestion published and emails the readers who asked.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='topic_suggestions', to='articles.article', verbose_name='answering article')),
                        ('merged_into', models.ForeignKey(blank=True, help_text='The suggestion this duplicate was merged into; its votes and readers moved there.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='merged_suggestions', to='topics.topicsuggestion')),
                        ('moderated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'comments_topicsuggestion',
                        'verbose_name': 'topic suggestion',
                        'verbose_name_plural': 'topic suggestions',
                        'ordering': ['-activity_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='TopicVote',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('ip_hash', models.CharField(blank=True, editable=False, max_length=64, verbose_name='address hash')),
                        ('created', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('suggestion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='vote_records', to='topics.topicsuggestion')),
                    ],
                    options={
                        'db_table': 'comments_topicvote',
                        'constraints': [models.UniqueConstraint(condition=models.Q(('ip_hash', ''), _negated=True), fields=('suggestion', 'ip_hash'), name='topic_vote_once_per_address')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_to_topics, move_back),
    ]
