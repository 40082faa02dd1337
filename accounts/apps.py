from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "用户与权限"

    def ready(self) -> None:
        from accounts.roles import sync_role_groups
        from canlian.audit import actions_register

        actions_register(
            {
                "accounts.password.changed": "修改本人密码",
                "accounts.user.created": "新建用户",
                "accounts.user.changed": "修改用户",
                "accounts.user.password_reset": "重置用户密码",
            }
        )

        # Groups need the permissions of every app, which exist only after all
        # migrations ran; post_migrate fires after each app, and the sync is idempotent.
        post_migrate.connect(sync_role_groups, dispatch_uid="accounts.sync_role_groups")
        # A sign-in starts the session's minute (SessionIdleMiddleware): its own save set the expiry.
        from accounts.middleware import session_seen

        user_logged_in.connect(session_seen, dispatch_uid="accounts.session_seen")
