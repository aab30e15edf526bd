"""The production server: eventlet and the patches it runs with.

serve.py starts the app in the configured async mode (eventlet in production, through wsgi.py), with the process
set-up that goes with it: the garbage collector tuned after start-up, commits run in OS threads, the websocket
patches installed. fastws.py and fastsend.py patch private internals of eventlet, python-engineio and
python-socketio, only on the versions they were tested with (tests/test_patch_guard.py). Nothing else in collab/
imports eventlet; collab.realtime.publish calls fastsend.emit, which declines unless fastsend is installed.
"""
