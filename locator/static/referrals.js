// Referral list page: progressive enhancement only. Adding, removing and reordering are plain
// links that work without JavaScript. This file adds a Print button, Copy link and Share
// (the phone's share sheet) buttons, and the client's name: typed into a field that has no
// name and sits in no form, copied only into the printed packet. The name is never stored,
// never put in a link and never sent anywhere.
(function () {
  "use strict";

  // The server dates the packet in UTC; show the reader's own date, in the packet's language.
  var today = new Date();
  var iso = today.getFullYear() + "-" + ("0" + (today.getMonth() + 1)).slice(-2) + "-" + ("0" + today.getDate()).slice(-2);
  Array.prototype.forEach.call(document.querySelectorAll("time.printed-on"), function (el) {
    var holder = el.closest("[lang]");
    try {
      el.textContent = today.toLocaleDateString(holder ? holder.lang : undefined, { year: "numeric", month: "long", day: "numeric" });
      el.setAttribute("datetime", iso);
    } catch (e) { /* keep the server's date */ }
  });

  var printButton = document.getElementById("print-packet");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }

  var nameBox = document.getElementById("client-box");
  var nameInput = document.getElementById("client-name");
  var namePrint = document.getElementById("client-name-print");
  if (nameBox && nameInput && namePrint) {
    nameBox.hidden = false;
    nameInput.value = "";  // never restored from an earlier visit
    var copyName = function () { namePrint.textContent = nameInput.value.trim(); };
    nameInput.addEventListener("input", copyName);
    window.addEventListener("beforeprint", copyName);
    // Leaving the page forgets the name, so a shared computer does not show it to the next person.
    window.addEventListener("pagehide", function () { nameInput.value = ""; namePrint.textContent = ""; });
  }

  var link = document.getElementById("share-url");
  var status = document.getElementById("share-status");
  if (!link) return;
  var say = function (key) { if (status) status.textContent = status.getAttribute(key) || ""; };

  var copyButton = document.getElementById("copy-link");
  if (copyButton && navigator.clipboard && navigator.clipboard.writeText) {
    copyButton.hidden = false;
    copyButton.addEventListener("click", function () {
      navigator.clipboard.writeText(link.href).then(
        function () { say("data-copied"); },
        function () { say("data-failed"); });
    });
  }

  var shareButton = document.getElementById("share-link");
  if (shareButton && navigator.share) {
    shareButton.hidden = false;
    shareButton.addEventListener("click", function () {
      navigator.share({ title: document.title, url: link.href }).catch(function () { /* closed */ });
    });
  }
})();
