"""Factories: one line builds a valid object."""

import factory
from factory.django import DjangoModelFactory

from zhiyuan.core.models import User
from zhiyuan.organizations.models import Kind, Membership, Organization, UnitContact
from zhiyuan.organizations.roles import Role


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试某{n}")
    password = factory.django.Password("pass-word-123")


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = Kind.UNIT
    parent = None


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.MEMBER


class UnitContactFactory(DjangoModelFactory):
    class Meta:
        model = UnitContact

    organization = factory.SubFactory(OrganizationFactory)
    category = "liaison"
    name = factory.Sequence(lambda n: f"联络某{n}")
    office_phone = "0371-67186891"
    mobile = factory.Sequence(lambda n: f"1390000{n:04d}")
