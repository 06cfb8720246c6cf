from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
                    name='EmailFailure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('recipient', models.CharField(max_length=254)),
                        ('subject', models.CharField(max_length=300)),
                        ('error', models.TextField()),
                        ('failed_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                    ],
                    options={
                        'verbose_name': 'outbound e-mail failure',
                        'ordering': ['-failed_at', '-id'],
                    },
                ),
        migrations.CreateModel(
                    name='TaskFailure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('task', models.CharField(max_length=200)),
                        ('arguments', models.TextField(blank=True)),
                        ('error', models.TextField()),
                        ('attempts', models.PositiveIntegerField(default=1)),
                        ('failed_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                    ],
                    options={
                        'verbose_name': 'background task failure',
                        'ordering': ['-failed_at', '-id'],
                    },
                ),
    ]
