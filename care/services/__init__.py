"""Changes of the care app, one module per concern: `institutions`, `membership` and
`attendance`. Each service is atomic, checks the user's permission and scope, locks what
two users could race for, and refuses with a reason in Chinese, writing nothing."""
