"""The studio service: the user's actions as plans (`studio`), the rules they follow
(`rules`), character sheets and exports, running a plan (`running`) and the services
container every front end builds once (`services`)."""
