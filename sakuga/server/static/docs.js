// The API docs page: Swagger UI from the local swagger-ui-bundle package (no CDN, so the
// page works offline and under the studio's Content-Security-Policy).
window.addEventListener("load", () => {
  window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
