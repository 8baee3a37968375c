// The run page: reads the run and its log once a second until it ends, and shows them.
(function () {
  "use strict";
  var panel = document.getElementById("run");
  if (!panel || panel.dataset.final === "true") return;
  var id = panel.dataset.run;
  var state = document.getElementById("run-state");
  var bar = document.getElementById("run-progress");
  var message = document.getElementById("run-message");
  var error = document.getElementById("run-error");
  var result = document.getElementById("run-result");
  var link = document.getElementById("run-result-link");
  var log = document.getElementById("run-log");
  var cancel = document.getElementById("cancel-form");
  var FINAL = ["SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT"];

  function show(run) {
    state.textContent = run.state;
    state.classList.toggle("bad", run.state === "FAILED" || run.state === "TIMED_OUT");
    bar.value = run.progress;
    bar.textContent = run.progress;
    message.textContent = run.message;
    error.textContent = run.error;
    error.hidden = !run.error;
    if (run.output_record) {
      link.href = "/records/" + run.output_record + "/";
      result.hidden = false;
    }
  }

  function poll() {
    Promise.all([
      fetch("/api/v1/runs/" + id + "/", {credentials: "same-origin"}).then(function (r) { return r.json(); }),
      fetch("/api/v1/runs/" + id + "/log", {credentials: "same-origin"}).then(function (r) { return r.text(); })
    ]).then(function (answers) {
      show(answers[0]);
      if (log.textContent !== answers[1]) log.textContent = answers[1];
      var done = FINAL.indexOf(answers[0].state) >= 0;
      if (done && cancel) cancel.hidden = true;
      // a finished run's derived record is built a moment later: keep looking until it is there
      if (!done || (answers[0].state === "SUCCEEDED" && !answers[0].output_record)) setTimeout(poll, 1000);
    }).catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
