"""Create an editor (or publisher): a staff account in the Editors group, nothing more."""

from __future__ import annotations

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Create an editor who can log in to the admin and curate threads and advice; "
        "--publisher also lets them publish. The password is asked twice at a terminal, "
        "or read from the first line of standard input when it is not a terminal."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--publisher", action="store_true", help="May also publish advice.")
        parser.add_argument("--email", default="", help="Optional e-mail address.")

    def handle(self, *args, username: str, publisher: bool, email: str, **options):
        User = get_user_model()
        username = username.strip()
        if not username:
            raise CommandError("The username must not be empty.")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named “{username}” already exists.")
        password = self.read_password()
        candidate = User(username=username, email=email)
        try:
            validate_password(password, user=candidate)
        except ValidationError as weak:
            raise CommandError("Password refused: " + " ".join(weak.messages)) from weak
        role = "Publishers" if publisher else "Editors"
        with transaction.atomic():
            user = User.objects.create_user(username, email=email, password=password)
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.add(self.group(role))
        self.stdout.write(f"Created {role[:-1].lower()} “{username}”; they can log in at /admin/.")

    def read_password(self) -> str:
        if not sys.stdin.isatty():
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        if not password.strip():
            raise CommandError("The password must not be empty.")
        return password

    def group(self, name: str) -> Group:
        try:
            return Group.objects.get(name=name)
        except Group.DoesNotExist as missing:
            raise CommandError(
                f"The “{name}” group is missing: run `python manage.py migrate` first."
            ) from missing
