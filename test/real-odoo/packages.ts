// What a real Odoo 17 or 19 needs on Debian 12, from Debian's packages only (shared/odoo/README.md:
// the union of what full 19 and 17 trees needed), and the Python modules that show they are there.

export const DEBIAN_PACKAGES = [
  "xz-utils", "postgresql-15", "postgresql-client-15", "curl", "ca-certificates",
  "python3", "python3-setuptools", "python3-pkg-resources", "python3-asn1crypto", "python3-babel", "python3-cbor2",
  "python3-chardet", "python3-cryptography", "python3-dateutil", "python3-decorator", "python3-docutils",
  "python3-freezegun", "python3-geoip2", "python3-gevent", "python3-greenlet", "python3-idna", "python3-jinja2",
  "python3-ldap", "python3-libsass", "python3-lxml", "python3-magic", "python3-markupsafe", "python3-num2words",
  "python3-ofxparse", "python3-openpyxl", "python3-openssl", "python3-passlib", "python3-pil", "python3-polib",
  "python3-psutil", "python3-psycopg2", "python3-pydot", "python3-pypdf2", "python3-qrcode", "python3-renderpm",
  "python3-reportlab", "python3-requests", "python3-rjsmin", "python3-serial", "python3-stdnum", "python3-tz",
  "python3-urllib3", "python3-usb", "python3-vobject", "python3-werkzeug", "python3-xlrd", "python3-xlsxwriter",
  "python3-xlwt", "python3-zeep",
  "fonts-dejavu-core", "fonts-inconsolata", "fonts-font-awesome", "fonts-roboto-unhinted", "gsfonts",
];

export const PYTHON_MODULES = [
  "babel", "lxml", "psycopg2", "werkzeug", "passlib", "PIL", "reportlab", "docutils", "dateutil", "decorator",
  "jinja2", "markupsafe", "num2words", "openpyxl", "OpenSSL", "polib", "psutil", "PyPDF2", "qrcode", "requests",
  "rjsmin", "stdnum", "pytz", "vobject", "xlrd", "xlsxwriter", "gevent", "cbor2", "asn1crypto", "magic", "sass",
];
