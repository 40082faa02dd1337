/* "读卡": fetch the card's fields from the reader's service on this PC (the URL of
   settings.IDCARD_READER, in #idcard-config; the Content-Security-Policy's connect-src
   allows exactly its origin) and hand the reading to the server as if pasted: the server
   maps the fields, checks the ID number and never overwrites a value unconfirmed
   (registry.idcard). Unreachable reader: say so, and leave the paste box to the officer. */
(function () {
  "use strict";

  function setUp() {
    var config = document.getElementById("idcard-config");
    var button = document.querySelector("[data-idcard-read]");
    if (!config || !button) {
      return;
    }
    var url = JSON.parse(config.textContent).url;
    var status = document.getElementById("idcard-status");
    var box = document.getElementById("id_reading");
    var read = document.getElementById("reading-read");
    button.addEventListener("click", function () {
      button.disabled = true;
      status.textContent = "正在读卡……";
      window
        .fetch(url, { cache: "no-store", credentials: "omit", mode: "cors" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.text();
        })
        .then(function (text) {
          box.value = text;
          status.textContent = "已读卡，正在核对……";
          read.form.requestSubmit(read);
        })
        .catch(function () {
          button.disabled = false;
          status.textContent = "未连接到读卡器（请确认读卡软件已运行、身份证已放好），也可把读卡软件显示的结果粘贴到下方。";
          box.focus();
        });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
