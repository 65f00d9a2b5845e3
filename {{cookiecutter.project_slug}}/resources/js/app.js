import './bootstrap.js'
import '../css/app.css'
