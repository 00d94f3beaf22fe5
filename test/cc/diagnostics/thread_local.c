// expect error 2:1: thread-local storage is not supported [gcc accepts]
_Thread_local int counter;
