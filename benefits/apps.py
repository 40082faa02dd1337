from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "benefits"
    verbose_name = "社会保障与补贴"

    def ready(self) -> None:
        from benefits.services import persons_moved_follow
        from registry.signals import persons_moved

        persons_moved.connect(persons_moved_follow, dispatch_uid="benefits.persons_moved_follow")
