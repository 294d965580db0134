// "Use my location": fills the place box with a rounded point (about 1 km). Nothing is sent
// until the person presses the search button. Without JavaScript the button stays hidden.
(function () {
  var button = document.getElementById("use-location");
  var input = document.getElementById("f-location");
  if (!button || !input || !("geolocation" in navigator)) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (pos) {
      input.value = pos.coords.latitude.toFixed(2) + "," + pos.coords.longitude.toFixed(2);
      button.disabled = false;
      input.focus();
    }, function () {
      button.disabled = false;
      input.focus();
    }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 });
  });
})();
