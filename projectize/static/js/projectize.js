// Behaviour every page shares. The Content-Security-Policy allows no inline script, so templates
// ask for behaviour with data- attributes and this file provides it.

// <form data-confirm="question">: ask before submitting.
document.addEventListener("submit", function (event) {
  var question = event.target.dataset ? event.target.dataset.confirm : null;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
