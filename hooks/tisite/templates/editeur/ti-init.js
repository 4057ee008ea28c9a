// Read by decap-cms.js as it loads: ti-editeur.js starts the editor once its formats are set.
window.CMS_MANUAL_INIT = true;
