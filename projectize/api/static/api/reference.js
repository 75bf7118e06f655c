// Starts Swagger UI on the API's own schema; no inline script, so the page keeps the site's CSP.
(function () {
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    domNode: root,
    deepLinking: true,
    docExpansion: "none",
    defaultModelsExpandDepth: -1,
    tryItOutEnabled: false,
    validatorUrl: null,
  });
})();
